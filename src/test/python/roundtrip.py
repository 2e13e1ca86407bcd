import sys, torch, safetensors.torch as st
w = st.load_file(sys.argv[1])                            # Descent's weights: 0.weight [out][in], 0.bias, 2.weight, ...
net = torch.nn.Sequential(torch.nn.Linear(5, 20), torch.nn.ReLU(), torch.nn.Linear(20, 10)).to(w["0.bias"].dtype)
net.load_state_dict(w)                                   # PyTorch's network, Descent's parameters: use it, train it
st.save_file(net.state_dict(), sys.argv[2])              # and back: ./descent train --init FILE --layers 20
